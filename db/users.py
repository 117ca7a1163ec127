"""Staff accounts and their sign-ins. Passwords are stored only as Argon2 hashes (pwdlib); a sign-in
is a random token stored only as its SHA-256 (db.cases.hash_token), with an expiry, revoked at logout."""

from __future__ import annotations

import datetime as dt
import secrets

from pwdlib import PasswordHash
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.cases import audit, hash_token, staff_user, token_row
from db.models import ApiTokenRow, AuditSource, Role, TokenKind, UserRow, utcnow

PASSWORDS = PasswordHash.recommended()  # Argon2id with pwdlib's current parameters
MIN_PASSWORD_LENGTH = 8
# Verified when the username is unknown, so a wrong name costs the same time as a wrong password.
_DUMMY_HASH = PASSWORDS.hash(secrets.token_urlsafe(16))


class UserError(ValueError):
    """A user cannot be added as asked; the message is for the operator (Chinese, no secret)."""


def add_user(session: Session, username: str, password: str, role: Role, display_name: str = "") -> UserRow:
    username = username.strip()
    if not username or len(username) > 80:
        raise UserError("用户名不能为空，且不超过 80 个字符")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符")
    if session.scalar(select(UserRow).where(UserRow.username == username)) is not None:
        raise UserError(f"用户 {username} 已存在")
    user = UserRow(
        username=username,
        display_name=display_name or username,
        role=role.value,
        password_hash=PASSWORDS.hash(password),
    )
    session.add(user)
    session.flush()
    audit(session, "user_added", actor="system", source=AuditSource.system, after={"username": username, "role": role})
    return user


def authenticate(session: Session, username: str, password: str) -> UserRow | None:
    """The active user with this name and password, else None (which of the two was wrong is not told)."""
    user = session.scalar(select(UserRow).where(UserRow.username == username.strip()))
    if user is None:
        PASSWORDS.verify(password, _DUMMY_HASH)
        return None
    valid, new_hash = PASSWORDS.verify_and_update(password, user.password_hash)
    if not valid or not user.active:
        return None
    if new_hash is not None:  # parameters raised since the hash was made: store the stronger one
        user.password_hash = new_hash
    return user


def open_session(session: Session, user: UserRow, lifetime: dt.timedelta) -> str:
    """A new sign-in for `user`; the token is returned once and stored only as its hash."""
    token = secrets.token_urlsafe(32)
    session.add(
        ApiTokenRow(
            token_hash=hash_token(token),
            kind=TokenKind.session.value,
            user_id=user.id,
            expires_at=utcnow() + lifetime,
        )
    )
    audit(session, "login", actor=f"user:{user.username}", source=AuditSource.clerk)
    return token


def close_session(session: Session, token: str) -> None:
    row = token_row(session, token)
    if row is not None and row.kind == TokenKind.session.value:
        row.revoked_at = utcnow()


def user_for_token(session: Session, token: str) -> UserRow | None:
    """The active staff member a session or API token belongs to, if it is live."""
    row = token_row(session, token)
    return staff_user(row) if row is not None else None


def list_users(session: Session) -> list[UserRow]:
    return list(session.scalars(select(UserRow).order_by(UserRow.username)))
