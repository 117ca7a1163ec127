"""Staff sign-in: `POST /api/login` gives an API token; the pages keep the same kind of server-side
session in an HttpOnly, SameSite=Strict cookie, and every unsafe request made with that cookie must
carry the session's CSRF token (header `X-CSRF-Token` or form field `csrf`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from db import users
from db.models import Role, UserRow
from interfaces.http.deps import bearer, db_session, service_of
from interfaces.http.errors import ApiCode, ApiError

SESSION_COOKIE = "intake_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

router = APIRouter(tags=["staff"])
SessionDep = Annotated[Session, Depends(db_session)]


def csrf_token(session_token: str) -> str:
    """Derived from the session token, which a page from another site can neither read (HttpOnly)
    nor guess: a request bearing it came from one of our pages."""
    return hmac.new(session_token.encode(), b"intake-csrf", hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Staff:
    user: UserRow
    token: str
    via_cookie: bool

    @property
    def actor(self) -> str:
        return f"user:{self.user.username}"

    @property
    def is_supervisor(self) -> bool:
        return self.user.role == Role.supervisor.value


def staff_from_request(
    request: Request, session: Session, credentials: HTTPAuthorizationCredentials | None
) -> Staff | None:
    """The signed-in staff member (bearer token, else the session cookie), or None."""
    via_cookie = credentials is None or not credentials.credentials
    token = request.cookies.get(SESSION_COOKIE) if via_cookie else credentials.credentials  # type: ignore[union-attr]
    if not token:
        return None
    user = users.user_for_token(session, token)
    return Staff(user=user, token=token, via_cookie=via_cookie) if user is not None else None


async def current_staff(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Staff:
    staff = staff_from_request(request, session, credentials)
    if staff is None:
        raise ApiError(ApiCode.unauthorized)
    if staff.via_cookie and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER)
        if sent is None and request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            form = await request.form()
            field = form.get("csrf")
            sent = field if isinstance(field, str) else None
        if not sent or not hmac.compare_digest(sent, csrf_token(staff.token)):
            raise ApiError(ApiCode.csrf_failed)
    return staff


StaffDep = Annotated[Staff, Depends(current_staff)]


def current_supervisor(staff: StaffDep) -> Staff:
    if not staff.is_supervisor:
        raise ApiError(ApiCode.role_forbidden)
    return staff


SupervisorDep = Annotated[Staff, Depends(current_supervisor)]


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class LoginToken(BaseModel):
    token: str = Field(description="工作人员令牌（Bearer）；服务端只保存其哈希")
    username: str
    role: str
    expires_at: dt.datetime


class Me(BaseModel):
    username: str
    display_name: str
    role: str


def sign_in(request: Request, session: Session, username: str, password: str) -> tuple[UserRow, str]:
    """A new session for valid credentials (committed); login_failed otherwise."""
    user = users.authenticate(session, username, password)
    if user is None:
        session.commit()  # nothing to keep but a rehash; keeps the session clean
        raise ApiError(ApiCode.login_failed)
    token = users.open_session(session, user, session_lifetime(request))
    session.commit()
    return user, token


def session_lifetime(request: Request) -> dt.timedelta:
    return dt.timedelta(hours=service_of(request).settings.session_hours)


@router.post("/login", response_model=LoginToken)
def login(body: Login, request: Request, session: SessionDep) -> LoginToken:
    """Username and password → a bearer token for the staff API (scanning stations, scripts)."""
    user, token = sign_in(request, session, body.username, body.password)
    expires = dt.datetime.now(dt.UTC) + session_lifetime(request)
    return LoginToken(token=token, username=user.username, role=user.role, expires_at=expires)


@router.post("/logout", status_code=204)
def logout(staff: StaffDep, session: SessionDep) -> Response:
    users.close_session(session, staff.token)
    session.commit()
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/me", response_model=Me)
def me(staff: StaffDep) -> Me:
    return Me(username=staff.user.username, display_name=staff.user.display_name, role=staff.user.role)
