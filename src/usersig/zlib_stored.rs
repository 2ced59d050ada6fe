//! zlib framing of uncompressed ("stored") deflate blocks (RFC 1950, RFC 1951 §3.2.4), the
//! form the official Go UserSig library emits (`NoCompression`). Every zlib reader accepts it,
//! and it spares the .wasm a whole deflate compressor (about 5 KB gzipped); a sig is a few
//! hundred bytes, so compressing it saves nothing that matters. The checksum comes from the
//! adler2 crate; only the framing is written here.

/// `data` as a zlib stream of stored blocks.
pub fn wrap(data: &[u8]) -> Vec<u8> {
    // CMF 0x78 (deflate, 32 KB window), FLG 0x01 (fastest; 0x7801 % 31 == 0).
    let mut out = Vec::with_capacity(data.len() + 6 + 5 * (data.len() / 65_535 + 1));
    out.extend_from_slice(&[0x78, 0x01]);
    let mut chunks = data.chunks(65_535).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[0x01, 0x00, 0x00, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        let len = chunk.len() as u16;
        out.push(u8::from(last)); // BFINAL, BTYPE = 00 (stored)
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&adler2::adler32_slice(data).to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn inflates_back_to_the_input() {
        for len in [0usize, 1, 200, 65_535, 65_536, 200_000] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let z = wrap(&data);
            assert_eq!(miniz_oxide::inflate::decompress_to_vec_zlib(&z).unwrap(), data, "{len} bytes");
        }
    }
}
