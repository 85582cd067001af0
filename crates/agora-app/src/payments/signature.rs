//! Standard-Webhooks style signatures: `webhook-id`, `webhook-timestamp` (seconds) and
//! `webhook-signature: v1,<base64 HMAC-SHA256(secret, "{id}.{timestamp}.{body}")>`.
//! Used for the sandbox's payment notifications and for carrier tracking pushes.

use crate::crypto;

/// The three signature headers of one delivery.
#[derive(Debug, Clone)]
pub struct SignedHeaders {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
}

fn signed_content(id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut content = format!("{id}.{timestamp}.").into_bytes();
    content.extend_from_slice(body);
    content
}

/// Signs `body` for delivery `id` at `now_ms`.
pub fn sign(secret: &str, id: &str, now_ms: i64, body: &[u8]) -> SignedHeaders {
    let timestamp = (now_ms / 1000).to_string();
    let tag = crypto::hmac_sha256(secret.as_bytes(), &signed_content(id, &timestamp, body));
    SignedHeaders { id: id.to_string(), timestamp, signature: format!("v1,{}", crypto::b64(&tag)) }
}

/// Why a delivery was refused (the web layer answers 401 and 400 respectively).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing or invalid webhook signature")]
    BadSignature,
    #[error("webhook-timestamp missing or outside the accepted window")]
    StaleTimestamp,
}

/// Verifies a delivery: the timestamp lies within `tolerance_ms` of `now_ms` and one of the
/// space-separated `v1,` signatures matches (compared in constant time).
pub fn verify(
    secret: &str,
    headers: &SignedHeaders,
    body: &[u8],
    now_ms: i64,
    tolerance_ms: i64,
) -> Result<(), SignatureError> {
    if headers.id.is_empty() || headers.id.len() > 200 {
        return Err(SignatureError::BadSignature);
    }
    let seconds: i64 = headers.timestamp.trim().parse().map_err(|_| SignatureError::StaleTimestamp)?;
    if (now_ms - seconds.saturating_mul(1000)).abs() > tolerance_ms {
        return Err(SignatureError::StaleTimestamp);
    }
    let content = signed_content(&headers.id, headers.timestamp.trim(), body);
    let valid = headers.signature.split_whitespace().filter_map(|s| s.strip_prefix("v1,")).any(|sig| {
        crypto::b64_decode(sig).is_some_and(|tag| crypto::hmac_sha256_verify(secret.as_bytes(), &content, &tag))
    });
    if valid { Ok(()) } else { Err(SignatureError::BadSignature) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejections() {
        let h = sign("whsec_x", "evt_1", 1_000_000, b"{}");
        assert!(verify("whsec_x", &h, b"{}", 1_000_000, 300_000).is_ok());
        assert!(verify("whsec_y", &h, b"{}", 1_000_000, 300_000).is_err());
        assert!(verify("whsec_x", &h, b"{ }", 1_000_000, 300_000).is_err());
        assert!(verify("whsec_x", &h, b"{}", 1_000_000 + 400_000, 300_000).is_err());
        let multi = SignedHeaders { signature: format!("v1,AAAA {}", h.signature), ..h.clone() };
        assert!(verify("whsec_x", &multi, b"{}", 1_000_000, 300_000).is_ok());
    }
}
