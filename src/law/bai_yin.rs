//! Bai–Yin edges (to be written).
