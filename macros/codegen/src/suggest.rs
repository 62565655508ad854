//! "Did you mean …?" for a name the spec does not declare: the closest declared name when one
//! is close, otherwise the list to choose from.

/// "did you mean X?" for the closest known name, else the list of known names.
pub fn suggest(value: &str, known: &[String]) -> String {
    let best = known
        .iter()
        .map(|k| (distance(&value.to_ascii_lowercase(), &k.to_ascii_lowercase()), k))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((d, k)) if d <= 2.max(value.len() / 3) => format!("did you mean `{k}`?"),
        _ if known.is_empty() => "nothing of that kind is declared yet".to_owned(),
        _ => format!("use one of: {}", known.join(", ")),
    }
}

/// Levenshtein distance, for suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let value = (previous + usize::from(ca != *cb)).min(above + 1).min(left + 1);
            previous = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_name() {
        let known = vec!["ALIPAYCN".to_owned(), "ALIPAYHK".to_owned()];
        assert_eq!(suggest("ALIPAYHX", &known), "did you mean `ALIPAYHK`?");
        assert_eq!(suggest("ZZZZZZZZZZZZ", &known), "use one of: ALIPAYCN, ALIPAYHK");
        assert_eq!(suggest("x", &[]), "nothing of that kind is declared yet");
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("same", "same"), 0);
    }
}
