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
}
