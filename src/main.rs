//! `rmspec`: the command-line front end. Parsing and validation live in `cli`; the work is done
//! by the library. Errors print as one line (`error: context: cause`) with exit status 1 (130
//! when stopped by Ctrl-C); usage errors (clap's, turned into one line by `cli::parse`) exit
//! with status 2.

mod cli;

fn main() {
    let args = cli::parse();
    if let Err(error) = cli::run(args) {
        let chain: Vec<String> = error.chain().map(|c| c.to_string()).collect();
        eprintln!("error: {}", chain.join(": "));
        // 130 = 128 + SIGINT, the shell convention for a run stopped by Ctrl-C.
        let interrupted = error.chain().any(|c| matches!(c.downcast_ref(), Some(rmspec::Error::Interrupted)));
        std::process::exit(if interrupted { 130 } else { 1 });
    }
}
