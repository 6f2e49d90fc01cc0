//! `rmspec`: the command-line front end. Parsing and validation live in `cli`; the work is done
//! by the library. Errors print as one line (`error: context: cause`) with exit status 1; usage
//! errors are clap's (exit status 2).

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    if let Err(error) = cli::run(args) {
        let chain: Vec<String> = error.chain().map(|c| c.to_string()).collect();
        eprintln!("error: {}", chain.join(": "));
        std::process::exit(1);
    }
}
