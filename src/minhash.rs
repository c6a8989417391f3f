//! MinHash signatures in datasketch's `affine64` scheme: `a * fmix64(h) + b` (mod 2^64) per
//! permutation, the minimum over a set's hashes; the permutations `(a, b)` come from the caller.

/// MurmurHash3's 64-bit finaliser.
#[inline]
pub fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// The signature of a set of hashes into `out` (`u64::MAX` everywhere for an empty set).
pub fn signature(hashes: &[u64], a: &[u64], b: &[u64], out: &mut [u64]) {
    out.fill(u64::MAX);
    for &h in hashes {
        let x = fmix64(h);
        for ((o, &ai), &bi) in out.iter_mut().zip(a).zip(b) {
            let v = ai.wrapping_mul(x).wrapping_add(bi);
            if v < *o {
                *o = v;
            }
        }
    }
}

/// One 64-bit bucket key per band: `fmix64(sum(value * multiplier))` over the band's rows.
pub fn band_keys(
    signature: &[u64],
    bands: usize,
    rows: usize,
    multipliers: &[u64],
    out: &mut Vec<u64>,
) {
    out.clear();
    for band in signature.chunks_exact(rows).take(bands) {
        let s = band
            .iter()
            .zip(multipliers)
            .fold(0u64, |acc, (&v, &m)| acc.wrapping_add(v.wrapping_mul(m)));
        out.push(fmix64(s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimum_of_each_permutation() {
        let (a, b) = ([3u64, 5], [1u64, 0]);
        let mut sig = [0u64; 2];
        signature(&[10, 20], &a, &b, &mut sig);
        let want = |i: usize| {
            [10u64, 20]
                .iter()
                .map(|&h| a[i].wrapping_mul(fmix64(h)).wrapping_add(b[i]))
                .min()
        };
        assert_eq!(sig, [want(0).unwrap(), want(1).unwrap()]);
        signature(&[], &a, &b, &mut sig);
        assert_eq!(sig, [u64::MAX; 2]);
    }

    #[test]
    fn band_keys_cover_whole_bands() {
        let mut out = Vec::new();
        band_keys(&[1, 2, 3, 4, 5], 2, 2, &[1, 1], &mut out);
        assert_eq!(out, [fmix64(3), fmix64(7)]);
    }
}
