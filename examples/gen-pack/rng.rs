//! A small seeded random number generator: xoshiro256** seeded through SplitMix64.
//!
//! Hand-written on purpose rather than taken from the `rand` crate: `rand` does not promise that
//! a seeded generator gives the same stream from one major version to the next (its `StdRng` has
//! changed algorithm before, and its distributions have changed how they consume the stream), and
//! the whole point of the generator is that the same seed and parameters give byte-identical
//! packs, today and after any `cargo update`. Both algorithms are public domain (Blackman and
//! Vigna, <https://prng.di.unimi.it/>) and only use integer arithmetic, so the streams are the
//! same on every platform. Floating point is used only for `+ - * /`, which IEEE 754 defines
//! exactly; nothing here calls `exp`, `ln` or `sin`, whose results vary between libm builds.

use sha2::{Digest, Sha256};

/// One step of SplitMix64: a good 64-bit mix of a counter, used to expand a seed.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The 64-bit key of a named stream of a seed: the first 8 bytes of SHA-256(`seed:section`).
/// Each part of the pack draws from its own stream, so changing `--evidence` does not change
/// the policies or controls.
pub(crate) fn stream_key(seed: &str, section: &str) -> u64 {
    let digest = Sha256::digest(format!("{seed}:{section}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(bytes)
}

/// xoshiro256**: fast, 256 bits of state, passes BigCrush.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose state is expanded from `key` by SplitMix64 (never all zero).
    pub(crate) fn from_key(key: u64) -> Rng {
        let mut sm = key;
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng { s }
    }

    /// The generator of a named section of a seed.
    pub(crate) fn section(seed: &str, section: &str) -> Rng {
        Rng::from_key(stream_key(seed, section))
    }

    /// The generator of item `index` of the stream `key`: items can then be generated in any
    /// order, or in parallel, and still come out the same.
    pub(crate) fn item(key: u64, index: u64) -> Rng {
        Rng::from_key(key ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A number in `0..n` (`n > 0`), by Lemire's multiply-shift. Without the rejection step the
    /// bias is below n / 2^64, far below anything a synthetic pack could show.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// A float in `[0, 1)` with 53 random bits.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index drawn with the given integer weights (at least one non-zero).
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut x = self.below(total as usize) as u64;
        for (i, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return i;
            }
            x -= u64::from(w);
        }
        weights.len() - 1
    }

    /// `k` distinct indices of `0..n` (`k <= n`), in the order drawn.
    pub(crate) fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(k);
        while out.len() < k.min(n) {
            let i = self.below(n);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }

    /// Two different indices of `0..n` (`n >= 2`).
    pub(crate) fn two(&mut self, n: usize) -> (usize, usize) {
        let a = self.below(n);
        let b = (a + 1 + self.below(n - 1)) % n;
        (a, b)
    }

    /// Fills `buf` with random bytes.
    pub(crate) fn fill(&mut self, buf: &mut [u8]) {
        let mut chunks = buf.chunks_exact_mut(8);
        for chunk in &mut chunks {
            chunk.copy_from_slice(&self.next_u64().to_le_bytes());
        }
        let rest = chunks.into_remainder();
        let last = self.next_u64().to_le_bytes();
        rest.copy_from_slice(&last[..rest.len()]);
    }

    /// A factor drawn from a log-normal distribution with median 1 and sigma 1 (the shape of
    /// real attachment sizes: many small files, a few large ones), by linear interpolation
    /// between its 1/32 quantiles (so no `exp`: see the module comment). Mean about 1.64.
    pub(crate) fn lognormal(&mut self) -> f64 {
        // exp(Φ⁻¹(k/32)) for k = 0..=32, the ends clamped at the 0.5 % and 99.5 % quantiles.
        const Q: [f64; 33] = [
            0.0761, 0.1552, 0.2156, 0.2677, 0.3165, 0.3642, 0.4118, 0.46, 0.5094, 0.5604, 0.6134,
            0.6688, 0.7271, 0.7888, 0.8544, 0.9246, 1.0, 1.0816, 1.1704, 1.2677, 1.3753, 1.4952,
            1.6303, 1.7845, 1.963, 2.1737, 2.4282, 2.7456, 3.1593, 3.736, 4.6372, 6.4413, 13.1422,
        ];
        let x = self.unit() * 32.0;
        let i = (x as usize).min(31);
        let frac = x - i as f64;
        Q[i] + (Q[i + 1] - Q[i]) * frac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_fixed_for_a_seed() {
        // Pinned values: if this changes, every generated pack changes with it.
        let mut r = Rng::section("1", "evidence");
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        let mut again = Rng::section("1", "evidence");
        assert_eq!(first, (0..3).map(|_| again.next_u64()).collect::<Vec<_>>());
        assert_ne!(first, {
            let mut other = Rng::section("2", "evidence");
            (0..3).map(|_| other.next_u64()).collect::<Vec<_>>()
        });
        // xoshiro256** reference: state [1, 2, 3, 4] gives 11520 then 0 then 1509978240.
        let mut reference = Rng { s: [1, 2, 3, 4] };
        assert_eq!(
            (0..3).map(|_| reference.next_u64()).collect::<Vec<_>>(),
            [11520, 0, 1509978240]
        );
    }

    #[test]
    fn draws_stay_in_their_ranges() {
        let mut r = Rng::from_key(7);
        for _ in 0..10_000 {
            assert!(r.below(3) < 3);
            let x = r.range(-2, 2);
            assert!((-2..=2).contains(&x));
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            let (a, b) = r.two(2);
            assert_ne!(a, b);
            let f = r.lognormal();
            assert!((0.07..=13.2).contains(&f));
        }
        assert_eq!(r.weighted(&[0, 5, 0]), 1);
        let mut d = r.distinct(5, 5);
        d.sort_unstable();
        assert_eq!(d, [0, 1, 2, 3, 4]);
        let mut buf = [0u8; 13];
        r.fill(&mut buf);
        assert!(buf.iter().any(|&b| b != 0));
    }

    #[test]
    fn lognormal_factor_has_the_expected_median_and_mean() {
        let mut r = Rng::from_key(3);
        let mut xs: Vec<f64> = (0..20_000).map(|_| r.lognormal()).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        xs.sort_by(f64::total_cmp);
        let median = xs[xs.len() / 2];
        assert!((0.9..1.1).contains(&median), "median {median}");
        assert!((1.5..1.8).contains(&mean), "mean {mean}");
    }
}
