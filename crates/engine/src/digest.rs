//! FNV-1a, 64-bit, written out: a digest of a run that is the same on every platform
//! (std's hashers are randomly keyed or unspecified across versions).

/// FNV-1a 64-bit offset basis.
const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;
/// FNV-1a 64-bit prime.
const FNV_PRIME: u64 = 0x0000_0100_0000_01B3;

/// A running FNV-1a hash over little-endian encodings of numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Self(FNV_OFFSET)
    }
}

impl Fnv64 {
    /// Hash raw bytes.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
    }

    /// Hash a `u32` (4 bytes, little-endian).
    pub(crate) fn u32(&mut self, v: u32) {
        self.bytes(&v.to_le_bytes());
    }

    /// Hash a `u64` (8 bytes, little-endian).
    pub(crate) fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }

    /// Hash an `f64` by its bit pattern (so −0.0 and NaN payloads count too).
    pub(crate) fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }

    /// Hash an optional time: a marker byte, then the value.
    pub(crate) fn opt_f64(&mut self, v: Option<f64>) {
        match v {
            None => self.bytes(&[0]),
            Some(x) => {
                self.bytes(&[1]);
                self.f64(x);
            }
        }
    }

    /// The digest so far.
    pub(crate) fn finish(self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_fnv1a_vectors() {
        let mut h = Fnv64::default();
        assert_eq!(h.finish(), 0xCBF2_9CE4_8422_2325);
        h.bytes(b"a");
        assert_eq!(h.finish(), 0xAF63_DC4C_8601_EC8C);
        let mut h = Fnv64::default();
        h.bytes(b"foobar");
        assert_eq!(h.finish(), 0x8594_4171_F739_67E8);
    }
}
