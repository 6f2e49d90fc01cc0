//! `rmspec completions SHELL` (clap_complete) and `rmspec man` (clap_mangen): both generated from
//! the same clap definitions as `--help`, so they list every subcommand, option and possible value.

use anyhow::Context;
use clap::Args;
use clap_complete::Shell;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for. Install, e.g.: bash: `rmspec completions bash >
    /// ~/.local/share/bash-completion/completions/rmspec`; zsh: into a directory of $fpath as
    /// `_rmspec`; fish: `~/.config/fish/completions/rmspec.fish`.
    #[arg(value_enum)]
    shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write rmspec.1 and one page per subcommand (rmspec-spectrum.1, …) into DIR instead of
    /// printing rmspec.1. View with `man -l rmspec.1`.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// Prints the completion script for `args.shell`.
pub fn completions(args: CompletionsArgs, mut command: clap::Command) -> anyhow::Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "rmspec", &mut script);
    super::print(&String::from_utf8(script).context("the completion script is not UTF-8")?)
}

/// Prints rmspec.1, or writes it and the subcommands' pages into `--dir`.
pub fn man(args: ManArgs, mut command: clap::Command) -> anyhow::Result<()> {
    command.build();
    let Some(dir) = args.dir else {
        return super::print(&page(command)?);
    };
    let mut pages = vec![("rmspec.1".to_string(), page(command.clone())?)];
    add_subcommand_pages(&command, &mut pages)?;
    for (file, text) in &pages {
        let path = dir.join(file);
        rmspec::output::write_atomic(&path, text.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// The pages of every visible subcommand of `command`, depth first: `rmspec-law.1`,
/// `rmspec-law-mp.1`, … (after `build`, a subcommand's display name is `rmspec-law-mp`).
fn add_subcommand_pages(command: &clap::Command, pages: &mut Vec<(String, String)>) -> anyhow::Result<()> {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let name = sub.get_display_name().map_or_else(|| format!("rmspec-{}", sub.get_name()), str::to_string);
        pages.push((format!("{name}.1"), page(sub.clone())?));
        add_subcommand_pages(sub, pages)?;
    }
    Ok(())
}

/// One manual page in roff.
fn page(command: clap::Command) -> anyhow::Result<String> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(command).render(&mut roff).context("rendering the manual page")?;
    String::from_utf8(roff).context("the manual page is not UTF-8")
}
