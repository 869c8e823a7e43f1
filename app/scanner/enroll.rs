//! Enrollment with a venue's one-time code, and un-enrollment that never loses a redemption.

use kaiku_core::keys::TrustedKeys;
use kaiku_core::wire::{EnrollRequest, EnrollResponse};

use super::model::Enrollment;
use super::store::{ScannerStore, StoreError};
use super::sync::{RetryPolicy, SyncClient, SyncError, sync};

#[derive(Debug, thiserror::Error)]
pub enum EnrollError {
    #[error("this device is already enrolled as a scanner of {0}")]
    AlreadyEnrolled(String),
    #[error("{0} redemptions are not yet synced: sync before un-enrolling")]
    Unsynced(u64),
    #[error("enrollment failed: {0}")]
    Server(SyncError),
    #[error("enrolled, but the first register download failed: {0}")]
    FirstPull(SyncError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Turns the device into the venue's scanner with a one-time `code`, then pulls the register.
pub async fn enroll<S: ScannerStore + ?Sized>(
    store: &S,
    client: &SyncClient,
    code: &str,
    label: &str,
) -> Result<Enrollment, EnrollError> {
    if let Some(e) = store.enrollment().await?.filter(Enrollment::is_active) {
        return Err(EnrollError::AlreadyEnrolled(e.venue_name));
    }
    let body = EnrollRequest { code: code.trim().to_owned(), label: label.to_owned() };
    let url = client.url("/api/v1/devices/enroll");
    // One try only: the code is used up by the first request that reaches the server.
    let once = client.clone().with_retry(RetryPolicy { attempts: 1, ..client.retry });
    let r: EnrollResponse = once.send(|| client.http().post(&url).json(&body)).await.map_err(EnrollError::Server)?;
    let e = Enrollment {
        device: r.device,
        token: Some(r.token),
        venue: r.venue,
        venue_name: r.venue_name,
        offers: r.offers,
    };
    // The keys of the enrollment answer (over https) are the device's roots of trust.
    store.save_enrollment(&e, &TrustedKeys::enroll(&r.keys, &r.retirements)).await?;
    // The first round: the register, and anything recorded under an earlier enrollment.
    sync(store, client).await.map_err(EnrollError::FirstPull)?;
    Ok(e)
}

/// Removes the device token. Refused while redemptions wait for upload unless `keep_unsynced`;
/// the log itself is never deleted.
pub async fn unenroll<S: ScannerStore + ?Sized>(store: &S, keep_unsynced: bool) -> Result<(), EnrollError> {
    let pending = store.pending_count().await?;
    if pending > 0 && !keep_unsynced {
        return Err(EnrollError::Unsynced(pending));
    }
    store.drop_token().await?;
    Ok(())
}
