//! Error statistics: generalized Gaussian weights, quantisation into every
//! format, and the error measures users compare formats by.

pub mod error;
pub mod gamma;
pub mod ggd;
pub mod matvec;
pub mod plot;
pub mod products;
pub mod quantize;
pub mod render;
pub mod study;
