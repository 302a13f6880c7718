//! The `rf8` command: encode, decode, multiply, tables and reports.

mod cli;

fn main() {
    std::process::exit(cli::run(std::env::args_os()));
}
