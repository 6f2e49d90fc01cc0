//! How each framework stores a layer, and the m×n matrix W (m = fan-in rows, n = fan-out
//! columns, see the [crate conventions](crate#conventions)) rmspec reads from it.
//!
//! | tensor | torch | keras, flax | W | fans (every framework's rule) |
//! |---|---|---|---|---|
//! | dense, 2-D | `Linear.weight` [out, in] | `Dense` kernel [in, out] | in × out | fan_in = in, fan_out = out |
//! | convolution, 3–5-D | [out, in, k₁, …] | [k₁, …, in, out] (HWIO) | (in·r) × out, r = k₁·k₂·… | fan_in = in·r, fan_out = out·r |
//! | embedding, 2-D, name contains `embed`, `wte` or `wpe` | [vocab, dim] | [vocab, dim] | vocab × dim | fan_in = vocab, fan_out = dim |
//!
//! Every case is a reshape of the stored row-major array into a 2-D array A (rows × cols) with
//! W = A or W = Aᵀ: no element is moved. 0-D and 1-D tensors (biases, normalisation scales)
//! are skipped with that reason, as are empty tensors and tensors of more than 5 dimensions.
//!
//! `auto` decides from the tensor names: names ending in `weight` (PyTorch's `state_dict`)
//! mean torch; names with `params` or Flax's module names (`Dense_0`, `Conv_0`) mean flax;
//! names ending in `kernel` otherwise mean keras. The decision and its reason are reported.

use crate::error::{Error, Result};
use crate::initializer::Fans;
use crate::shape::Shape;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// A framework's storage convention (`--layout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// PyTorch: `Linear` [out, in], `Conv` [out, in, kh, kw].
    Torch,
    /// Keras: `Dense` [in, out], `Conv` [kh, kw, in, out].
    Keras,
    /// Flax/JAX: as Keras.
    Flax,
}

impl FromStr for Layout {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "torch" | "pytorch" => Ok(Layout::Torch),
            "keras" | "tensorflow" | "tf" => Ok(Layout::Keras),
            "flax" | "jax" => Ok(Layout::Flax),
            _ => {
                Err(Error::UnknownName { kind: "layout", name: s.into(), expected: "torch, keras, flax, auto".into() })
            }
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layout::Torch => "torch",
            Layout::Keras => "keras",
            Layout::Flax => "flax",
        })
    }
}

/// The layout `auto` picks for these tensor names, with the reason.
///
/// # Errors
/// [`Error::InvalidInput`] when no name follows a known convention.
pub fn detect<'a>(names: impl IntoIterator<Item = &'a str> + Clone) -> Result<(Layout, String)> {
    let last = |name: &'a str| name.rsplit(['.', '/']).next().unwrap_or(name).trim_end_matches(":0");
    if names.clone().into_iter().any(|n| last(n).ends_with("weight")) {
        return Ok((Layout::Torch, "tensor names end in 'weight' (PyTorch state_dict)".into()));
    }
    let kernels = names.clone().into_iter().any(|n| last(n) == "kernel");
    if kernels && names.clone().into_iter().any(|n| n.contains("params") || n.contains("Dense_") || n.contains("Conv_"))
    {
        return Ok((Layout::Flax, "tensor names end in 'kernel' under Flax module names".into()));
    }
    if kernels {
        return Ok((Layout::Keras, "tensor names end in 'kernel' (Keras)".into()));
    }
    Err(Error::InvalidInput(
        "cannot tell the layout from the tensor names (none ends in 'weight' or 'kernel'): pass --layout torch|keras|flax"
            .into(),
    ))
}

/// What a tensor is, as a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LayerKind {
    /// A dense (fully connected) layer.
    Dense,
    /// A convolution with receptive field `receptive_field` = k₁·k₂·….
    Conv {
        /// Product of the kernel's spatial sizes.
        receptive_field: usize,
    },
    /// An embedding table (rows = vocabulary).
    Embedding,
}

/// A tensor read as a weight matrix: the stored array is A (rows × cols, row-major) and
/// W = A or Aᵀ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatrixView {
    /// Rows of the stored 2-D array A.
    pub rows: usize,
    /// Columns of A.
    pub cols: usize,
    /// W = Aᵀ (torch dense and conv) rather than A.
    pub transposed: bool,
    /// What the tensor is.
    pub kind: LayerKind,
    /// The shape m×n of W and the framework's fans.
    pub fans: Fans,
}

/// Reads a tensor of stored (C-order) `shape` as a weight matrix in `layout`, or says why not.
/// `fortran_order` marks an npy array whose stored shape is its logical shape reversed.
pub fn matrix_view(
    name: &str,
    shape: &[usize],
    fortran_order: bool,
    layout: Layout,
) -> std::result::Result<MatrixView, String> {
    let logical: Vec<usize> = if fortran_order { shape.iter().rev().copied().collect() } else { shape.to_vec() };
    let shape = &logical[..];
    let dims = shape.len();
    if dims < 2 {
        return Err(format!("{dims}-D tensor (a bias or normalisation scale), not a weight matrix"));
    }
    if shape.contains(&0) {
        return Err("empty tensor".into());
    }
    if dims > 5 {
        return Err(format!("{dims}-D tensor: not a dense, convolution or embedding weight"));
    }
    if fortran_order && dims > 2 {
        return Err("Fortran-ordered array of more than 2 dimensions (save it in C order)".into());
    }
    let product = |s: &[usize]| s.iter().product::<usize>();
    let lower = name.to_ascii_lowercase();
    let embedding = dims == 2 && (lower.contains("embed") || lower.contains("wte") || lower.contains("wpe"));
    // (rows, cols, W = Aᵀ, receptive field) of the logical C-order array.
    let (rows, cols, transposed, receptive) = if embedding {
        (shape[0], shape[1], false, 1)
    } else {
        match layout {
            Layout::Torch => (shape[0], product(&shape[1..]), true, product(&shape[2..])),
            Layout::Keras | Layout::Flax => {
                (product(&shape[..dims - 1]), shape[dims - 1], false, product(&shape[..dims - 2]))
            }
        }
    };
    let (m, n) = if transposed { (cols, rows) } else { (rows, cols) };
    let kind = if embedding {
        LayerKind::Embedding
    } else if dims == 2 {
        LayerKind::Dense
    } else {
        LayerKind::Conv { receptive_field: receptive }
    };
    let shape = Shape::new(m, n).map_err(|e| e.to_string())?;
    let fans = Fans { shape, fan_out: n * receptive };
    // A Fortran-ordered 2-D array's bytes are the C-order array of its transpose.
    let (rows, cols, transposed) = if fortran_order { (cols, rows, !transposed) } else { (rows, cols, transposed) };
    Ok(MatrixView { rows, cols, transposed, kind, fans })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_framework_maps_to_fan_in_rows() {
        let v = matrix_view("fc.weight", &[30, 20], false, Layout::Torch).unwrap();
        assert_eq!((v.fans.shape.m(), v.fans.shape.n(), v.transposed), (20, 30, true));
        let v = matrix_view("conv.weight", &[32, 16, 3, 3], false, Layout::Torch).unwrap();
        assert_eq!((v.rows, v.cols, v.fans.shape.m(), v.fans.shape.n(), v.fans.fan_out), (32, 144, 144, 32, 288));
        assert_eq!(v.kind, LayerKind::Conv { receptive_field: 9 });
        let v = matrix_view("conv/kernel", &[3, 3, 16, 32], false, Layout::Keras).unwrap();
        assert_eq!((v.rows, v.cols, v.transposed, v.fans.shape.m(), v.fans.fan_out), (144, 32, false, 144, 288));
        let v = matrix_view("Dense_0/kernel", &[20, 30], false, Layout::Flax).unwrap();
        assert_eq!((v.fans.shape.m(), v.fans.shape.n(), v.transposed), (20, 30, false));
        let v = matrix_view("embeddings.word_embeddings.weight", &[1000, 64], false, Layout::Torch).unwrap();
        assert_eq!((v.fans.shape.m(), v.fans.shape.n(), v.transposed, v.kind), (1000, 64, false, LayerKind::Embedding));
        // Fortran order: stored shape [20, 30] is the logical [30, 20] array.
        let v = matrix_view("fc.weight", &[20, 30], true, Layout::Torch).unwrap();
        assert_eq!((v.rows, v.cols, v.transposed, v.fans.shape.m(), v.fans.shape.n()), (20, 30, false, 20, 30));
    }

    #[test]
    fn non_matrices_are_skipped_with_a_reason() {
        assert!(matrix_view("b", &[10], false, Layout::Torch).unwrap_err().contains("1-D"));
        assert!(matrix_view("e", &[0, 4], false, Layout::Torch).unwrap_err().contains("empty"));
        assert!(matrix_view("x", &[1, 1, 1, 1, 1, 2], false, Layout::Torch).unwrap_err().contains("6-D"));
    }

    #[test]
    fn auto_detects_from_names() {
        assert_eq!(detect(["a.weight", "a.bias"]).unwrap().0, Layout::Torch);
        assert_eq!(detect(["params/Dense_0/kernel"]).unwrap().0, Layout::Flax);
        assert_eq!(detect(["dense/kernel:0"]).unwrap().0, Layout::Keras);
        assert!(detect(["x", "y"]).is_err());
    }
}
