//! Staff accounts: invited users, invitations, usernames and password hashes.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::orgs;
use crate::store::{Account, CodeUse, InvitationRecord, NewInvitation, Role, StoreError, StoreResult};

/// The token hash of a user who has no bearer token: no secret hashes to all zeros.
const NO_TOKEN: [u8; 32] = [0; 32];

fn insert_invitation(conn: &Connection, user: i64, inv: &NewInvitation) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO invitations (code_hash, user_id, created_by, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![inv.code_hash, user, inv.created_by, inv.created_at, inv.expires_at],
    )?;
    Ok(())
}

pub fn create_invited_user(conn: &mut Connection, role: Role, label: &str, inv: &NewInvitation) -> StoreResult<i64> {
    let tx = conn.transaction()?;
    let id = orgs::create_user(&tx, role, label, &NO_TOKEN)?;
    insert_invitation(&tx, id, inv)?;
    tx.commit()?;
    Ok(id)
}

pub fn reinvite_user(conn: &mut Connection, user: i64, inv: &NewInvitation) -> StoreResult<bool> {
    let tx = conn.transaction()?;
    let active = tx
        .query_row("SELECT 1 FROM users WHERE id = ?1 AND revoked_at IS NULL", [user], |_| Ok(()))
        .optional()?
        .is_some();
    if !active {
        return Ok(false);
    }
    // Only the newest invitation of a user works.
    tx.execute(
        "UPDATE invitations SET expires_at = ?2 WHERE user_id = ?1 AND used_at IS NULL",
        params![user, inv.created_at],
    )?;
    insert_invitation(&tx, user, inv)?;
    tx.commit()?;
    Ok(true)
}

pub fn invitation(conn: &Connection, hash: &[u8]) -> StoreResult<Option<InvitationRecord>> {
    Ok(conn
        .query_row(
            "SELECT user_id, expires_at, used_at IS NOT NULL FROM invitations WHERE code_hash = ?1",
            [hash],
            |r| Ok(InvitationRecord { user_id: r.get(0)?, expires_at: r.get(1)?, used: r.get(2)? }),
        )
        .optional()?)
}

pub fn accept_invitation(
    conn: &mut Connection,
    hash: &[u8],
    now: DateTime<Utc>,
    username: &str,
    password_hash: &str,
) -> StoreResult<CodeUse<i64>> {
    let tx = conn.transaction()?;
    let Some(inv) = invitation(&tx, hash)? else { return Ok(CodeUse::Unknown) };
    if inv.used {
        return Ok(CodeUse::AlreadyUsed);
    }
    let revoked = orgs::user(&tx, inv.user_id)?.is_none_or(|u| u.revoked);
    if now >= inv.expires_at || revoked {
        return Ok(CodeUse::Expired);
    }
    let taken = tx
        .query_row("SELECT 1 FROM users WHERE username = ?1 AND id != ?2", params![username, inv.user_id], |_| Ok(()))
        .optional()?
        .is_some();
    if taken {
        return Err(StoreError::Conflict(format!("the username '{username}' is taken: choose another")));
    }
    tx.execute(
        "UPDATE users SET username = ?2, password_hash = ?3, password_set_at = ?4 WHERE id = ?1",
        params![inv.user_id, username, password_hash, now],
    )?;
    tx.execute("UPDATE invitations SET used_at = ?2 WHERE code_hash = ?1", params![hash, now])?;
    // A new password ends every session signed in with the old one.
    tx.execute("UPDATE sessions SET ended_at = ?2 WHERE user_id = ?1 AND ended_at IS NULL", params![inv.user_id, now])?;
    tx.commit()?;
    Ok(CodeUse::Taken(inv.user_id))
}

pub fn account(conn: &Connection, id: i64) -> StoreResult<Option<Account>> {
    let Some(user) = orgs::user(conn, id)? else { return Ok(None) };
    let (username, password_hash) =
        conn.query_row("SELECT username, password_hash FROM users WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok(Some(Account { user, username, password_hash }))
}

pub fn account_by_username(conn: &Connection, username: &str) -> StoreResult<Option<Account>> {
    let id: Option<i64> =
        conn.query_row("SELECT id FROM users WHERE username = ?1", [username], |r| r.get(0)).optional()?;
    match id {
        Some(id) => account(conn, id),
        None => Ok(None),
    }
}
