//! The 5-bit sign-magnitude ("true form, zero bias") exponent.
//!
//! `Es M3..M0` means `e = (Es ? -1 : +1) * M`. The redundant "minus zero"
//! pattern `10000` is taken for the value zero (spec section 1).

/// Signed exponent of a field (the zero pattern `10000` reads as 0).
pub const fn from_field(field: u8) -> i8 {
    let magnitude = (field & 0x0F) as i8;
    if field & 0x10 != 0 {
        -magnitude
    } else {
        magnitude
    }
}

/// Field of an exponent in -15..=15 (0 is `00000`, never `10000`).
pub const fn to_field(exp: i8) -> u8 {
    if exp < 0 {
        0x10 | (-exp) as u8
    } else {
        exp as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_round_trip() {
        for e in -15i8..=15 {
            assert_eq!(from_field(to_field(e)), e);
        }
        assert_eq!(to_field(0), 0b00000);
        assert_eq!(to_field(-2), 0b10010);
        assert_eq!(to_field(15), 0b01111);
    }
}
