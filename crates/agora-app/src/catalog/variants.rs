//! Resized copies of product images, made once at upload: a thumbnail (longest side
//! [`THUMB`] px) for lists and a medium size ([`MEDIUM`] px) for the product page. A variant
//! never upscales: when the original already fits, the variant *is* the original file.
//!
//! Variants are ordinary media files named by the SHA-256 of their own bytes (see
//! `images::file_name`), so the media route serves them like any upload.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageReader, Limits};

/// Longest side of a thumbnail (listings, shelves, admin lists).
pub const THUMB: u32 = 200;
/// Longest side of the medium size (the product page gallery).
pub const MEDIUM: u32 = 800;
/// Largest accepted width or height of an upload (decoding bigger pictures costs too much memory).
pub const MAX_SIDE: u32 = 12_000;

/// The size of `(width, height)` scaled to fit a `max` × `max` box, never enlarged.
pub fn fit(width: u32, height: u32, max: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= max {
        return (width, height);
    }
    let scale = |side: u32| ((u64::from(side) * u64::from(max) + u64::from(longest) / 2) / u64::from(longest)) as u32;
    (scale(width).max(1), scale(height).max(1))
}

/// A resized copy: its bytes and file extension.
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub ext: &'static str,
}

/// What an upload turns into: the original's size and the variants that differ from it
/// (None = the original fits and is used as is).
pub struct Rendered {
    pub width: u32,
    pub height: u32,
    pub thumb: Option<Encoded>,
    pub medium: Option<Encoded>,
}

/// Why an upload could not be turned into variants.
#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    #[error("could not be read as an image")]
    Undecodable,
    #[error("must be at most {MAX_SIDE} pixels wide and high")]
    TooLarge,
    #[error("encoding a variant failed: {0}")]
    Encode(String),
}

/// Decodes `bytes` (a JPEG, PNG, WebP or GIF; animations give their first frame) and makes
/// the variants. CPU-bound: call it on a blocking thread.
pub fn render(bytes: &[u8]) -> Result<Rendered, VariantError> {
    let mut reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| VariantError::Undecodable)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => VariantError::TooLarge,
        _ => VariantError::Undecodable,
    })?;
    let (width, height) = (img.width(), img.height());
    // Photos (JPEG) stay JPEG; anything else may be a graphic or transparent: PNG.
    let as_jpeg = bytes.starts_with(&[0xFF, 0xD8, 0xFF]) && !img.color().has_alpha();
    let medium_img = resized(&img, MEDIUM);
    let thumb_img = resized(medium_img.as_ref().unwrap_or(&img), THUMB);
    Ok(Rendered {
        width,
        height,
        medium: medium_img.as_ref().map(|i| encode(i, as_jpeg)).transpose()?,
        thumb: thumb_img.as_ref().map(|i| encode(i, as_jpeg)).transpose()?,
    })
}

fn resized(img: &DynamicImage, max: u32) -> Option<DynamicImage> {
    let (w, h) = fit(img.width(), img.height(), max);
    ((w, h) != (img.width(), img.height())).then(|| img.thumbnail_exact(w, h))
}

fn encode(img: &DynamicImage, as_jpeg: bool) -> Result<Encoded, VariantError> {
    let mut bytes = Vec::new();
    let result = if as_jpeg {
        DynamicImage::ImageRgb8(img.to_rgb8()).write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, 85))
    } else {
        img.write_with_encoder(PngEncoder::new(&mut bytes))
    };
    result.map_err(|e| VariantError::Encode(e.to_string()))?;
    Ok(Encoded { bytes, ext: if as_jpeg { "jpg" } else { "png" } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_scales_the_longest_side_and_never_enlarges() {
        assert_eq!(fit(1000, 500, 200), (200, 100));
        assert_eq!(fit(500, 1000, 800), (400, 800));
        assert_eq!(fit(1200, 900, 800), (800, 600));
        assert_eq!(fit(10_000, 3, 200), (200, 1), "never zero");
        assert_eq!(fit(150, 80, 200), (150, 80));
        assert_eq!(fit(200, 200, 200), (200, 200));
    }

    #[test]
    fn variants_of_a_png() {
        let img = DynamicImage::new_rgba8(1000, 250);
        let mut png = Vec::new();
        img.write_with_encoder(PngEncoder::new(&mut png)).unwrap();
        let r = render(&png).unwrap();
        assert_eq!((r.width, r.height), (1000, 250));
        let medium = image::load_from_memory(&r.medium.unwrap().bytes).unwrap();
        assert_eq!((medium.width(), medium.height()), (800, 200));
        let thumb = r.thumb.unwrap();
        assert_eq!(thumb.ext, "png");
        let thumb = image::load_from_memory(&thumb.bytes).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (200, 50));
        assert!(matches!(render(b"\x89PNG\r\n\x1a\nnot really"), Err(VariantError::Undecodable)));
    }
}
