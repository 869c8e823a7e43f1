//! Staff accounts: invited users, invitations, usernames and password hashes. The invitation
//! (and the user it is for) is locked while it is used, so two processes cannot both use it.

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, GenericClient};

use super::convert::get;
use super::orgs;
use super::pool::{exec, row};
use crate::store::{Account, CodeUse, InvitationRecord, NewInvitation, Role, StoreError, StoreResult};

/// The token hash of a user who has no bearer token: no secret hashes to all zeros.
const NO_TOKEN: [u8; 32] = [0; 32];

async fn insert_invitation(c: &impl GenericClient, user: i64, inv: &NewInvitation) -> StoreResult<()> {
    exec(
        c,
        "INSERT INTO invitations (code_hash, user_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        &[&inv.code_hash, &user, &inv.created_by, &inv.created_at, &inv.expires_at],
    )
    .await?;
    Ok(())
}

pub async fn create_invited_user(c: &mut Client, role: Role, label: &str, inv: &NewInvitation) -> StoreResult<i64> {
    let tx = c.transaction().await?;
    let id = orgs::create_user(&tx, role, label, &NO_TOKEN).await?;
    insert_invitation(&tx, id, inv).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn reinvite_user(c: &mut Client, user: i64, inv: &NewInvitation) -> StoreResult<bool> {
    let tx = c.transaction().await?;
    let active = row(&tx, "SELECT 1 FROM users WHERE id = $1 AND revoked_at IS NULL FOR UPDATE", &[&user]).await?;
    if active.is_none() {
        return Ok(false);
    }
    // Only the newest invitation of a user works.
    exec(
        &tx,
        "UPDATE invitations SET expires_at = $2 WHERE user_id = $1 AND used_at IS NULL",
        &[&user, &inv.created_at],
    )
    .await?;
    insert_invitation(&tx, user, inv).await?;
    tx.commit().await?;
    Ok(true)
}

async fn read_invitation(c: &impl GenericClient, hash: &[u8], lock: &str) -> StoreResult<Option<InvitationRecord>> {
    let sql = format!("SELECT user_id, expires_at, used_at IS NOT NULL FROM invitations WHERE code_hash = $1{lock}");
    let Some(r) = row(c, &sql, &[&hash]).await? else { return Ok(None) };
    Ok(Some(InvitationRecord { user_id: get(&r, 0)?, expires_at: get(&r, 1)?, used: get(&r, 2)? }))
}

pub async fn invitation(c: &impl GenericClient, hash: &[u8]) -> StoreResult<Option<InvitationRecord>> {
    read_invitation(c, hash, "").await
}

pub async fn accept_invitation(
    c: &mut Client,
    hash: &[u8],
    now: DateTime<Utc>,
    username: &str,
    password_hash: &str,
) -> StoreResult<CodeUse<i64>> {
    let tx = c.transaction().await?;
    let Some(inv) = read_invitation(&tx, hash, " FOR UPDATE").await? else { return Ok(CodeUse::Unknown) };
    if inv.used {
        return Ok(CodeUse::AlreadyUsed);
    }
    let revoked = orgs::user(&tx, inv.user_id).await?.is_none_or(|u| u.revoked);
    if now >= inv.expires_at || revoked {
        return Ok(CodeUse::Expired);
    }
    let taken = || StoreError::Conflict(format!("the username '{username}' is taken: choose another"));
    if row(&tx, "SELECT 1 FROM users WHERE username = $1 AND id <> $2", &[&username, &inv.user_id]).await?.is_some() {
        return Err(taken());
    }
    // Another process may take the name between the check and the write: the unique index decides.
    let set = exec(
        &tx,
        "UPDATE users SET username = $2, password_hash = $3, password_set_at = $4 WHERE id = $1",
        &[&inv.user_id, &username, &password_hash, &now],
    )
    .await;
    match set {
        Err(StoreError::Conflict(_)) => return Err(taken()),
        other => other?,
    };
    exec(&tx, "UPDATE invitations SET used_at = $2 WHERE code_hash = $1", &[&hash, &now]).await?;
    // A new password ends every session signed in with the old one.
    exec(&tx, "UPDATE sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL", &[&inv.user_id, &now])
        .await?;
    tx.commit().await?;
    Ok(CodeUse::Taken(inv.user_id))
}

pub async fn account(c: &impl GenericClient, id: i64) -> StoreResult<Option<Account>> {
    let Some(user) = orgs::user(c, id).await? else { return Ok(None) };
    let Some(r) = row(c, "SELECT username, password_hash FROM users WHERE id = $1", &[&id]).await? else {
        return Ok(None);
    };
    Ok(Some(Account { user, username: get(&r, 0)?, password_hash: get(&r, 1)? }))
}

pub async fn account_by_username(c: &impl GenericClient, username: &str) -> StoreResult<Option<Account>> {
    // PostgreSQL's text holds no NUL character, so no stored name has one.
    if username.contains('\0') {
        return Ok(None);
    }
    match row(c, "SELECT id FROM users WHERE username = $1", &[&username]).await? {
        Some(r) => account(c, get(&r, 0)?).await,
        None => Ok(None),
    }
}
