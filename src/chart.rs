//! What the SVG charts share.

/// The label of a bar chart's category axis at `x`: category `i` spans
/// `i..i + 1` and is named at its centre (`i + 0.5`); other ticks are blank.
pub fn category_label(names: &[&str], x: f64) -> String {
    let i = (x - 0.5).round();
    if (x - 0.5 - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < names.len() {
        names[i as usize].to_string()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_sit_at_the_centres() {
        let names = ["a", "b"];
        assert_eq!(super::category_label(&names, 0.5), "a");
        assert_eq!(super::category_label(&names, 1.5), "b");
        assert_eq!(super::category_label(&names, 1.0), "");
        assert_eq!(super::category_label(&names, 2.5), "");
    }
}
