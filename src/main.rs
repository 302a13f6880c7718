//! The `rf8` command: encode, decode, multiply, tables and reports.

mod cli;

fn main() {
    rf8::tools::install_signal_handlers();
    std::process::exit(cli::run(std::env::args_os()));
}
