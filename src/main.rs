//! `rmspec`: the command-line front end. Parsing and validation live in `cli`; the work is done
//! by the library. Errors print as one line (`error: context: cause`); the exit statuses are
//! [`cli::exit`]'s (README, "Bad input").

mod cli;

fn main() {
    cli::blas_kernel::select();
    let args = cli::parse();
    cli::install_signal_handler();
    let result = cli::configure_threads().and_then(|()| cli::run(args));
    if let Err(error) = result {
        let status = cli::exit::status_of(&error);
        if status != cli::exit::BROKEN_PIPE {
            let chain: Vec<String> = error.chain().map(|c| c.to_string()).collect();
            eprintln!("error: {}", chain.join(": "));
        }
        std::process::exit(status);
    }
}
