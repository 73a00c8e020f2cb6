//! "Did you mean" hints: the known name closest to a misspelt one.

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo. Never
/// `word` itself: a name that exists is not a typo of itself.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (levenshtein(word, c), *c))
        .filter(|(d, c)| *d > 0 && *d <= 2.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_typos_only() {
        assert_eq!(closest("ownr", &["owner", "operator"]), Some("owner"));
        assert_eq!(closest("zzzzzz", &["owner", "operator"]), None);
        assert_eq!(closest("AC-01", &["AC-01", "AC-02"]), Some("AC-02"));
        assert_eq!(closest("AC-01", &["AC-01"]), None);
    }

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("5.38", "5.37"), 1);
        assert_eq!(levenshtein("CC10.1", "CC1.1"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("5.38", "5.38"), 0);
        assert_eq!(levenshtein("é", "e"), 1);
    }
}
