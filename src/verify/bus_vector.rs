//! What the dot-product units' test vectors are made of, shared by the
//! fixed-point (`dot.rs`) and binary32 (`dot_float.rs`) vector makers.

/// One vector: the packed `a` and `b` buses and `acc_in`.
pub type Vector = [u128; 3];

/// `codes` packed into a bus of `w`-bit lanes (lane i in `[i*w +: w]`).
pub fn pack(codes: &[u32], w: u32) -> u128 {
    codes
        .iter()
        .enumerate()
        .fold(0, |bus, (i, &c)| bus | (c as u128) << (w as usize * i))
}
