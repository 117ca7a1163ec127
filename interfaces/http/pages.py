"""Server-rendered pages of the workbench (Jinja2 templates, small vanilla JS and CSS: no build
step, nothing from a CDN). Every page requires a signed-in staff member (else → /login); the
supervisor page requires a supervisor. Forms carry the CSRF token; the pages' scripts send it as
`X-CSRF-Token` with every write to the API."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from db import review, users
from interfaces.http.deps import db_session
from interfaces.http.errors import ApiError
from interfaces.http.routes_auth import SESSION_COOKIE, Staff, csrf_token, session_lifetime, sign_in, staff_from_request
from interfaces.http.routes_review import queue_item
from interfaces.http.routes_supervisor import prefect_ui_url, supervisor_stats

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
STATIC_DIR = HERE / "static"
LOGIN_CSRF_COOKIE = "intake_login_csrf"

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(db_session)]


def _page(request: Request, name: str, staff: Staff | None, status: int = 200, **context: Any) -> HTMLResponse:
    context |= {"staff": staff, "csrf": csrf_token(staff.token) if staff else ""}
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self'; frame-ancestors 'none'"
    return response


def _signed_in(request: Request, session: Session) -> Staff | None:
    return staff_from_request(request, session, None)


def _to_login() -> RedirectResponse:
    return RedirectResponse("/login", status_code=303)


def _set_login_csrf(response: Response, value: str) -> None:
    response.set_cookie(LOGIN_CSRF_COOKIE, value, httponly=True, samesite="strict", path="/login")


@router.get("/login")
def login_page(request: Request) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = _page(request, "login.html", None, login_csrf=token, error="")
    _set_login_csrf(response, token)
    return response


@router.post("/login")
def login_form(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=100)],
) -> Response:
    """Double-submit check (the form's token equals the cookie set with the form), then sign-in."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    fresh = secrets.token_urlsafe(24)
    if not expected or not hmac.compare_digest(csrf, expected):
        response: Response = _page(request, "login.html", None, 403, login_csrf=fresh, error="页面已过期，请重新登录")
        _set_login_csrf(response, fresh)
        return response
    try:
        user, token = sign_in(request, session, username, password)
    except ApiError as exc:
        response = _page(request, "login.html", None, exc.status, login_csrf=fresh, error=exc.message)
        _set_login_csrf(response, fresh)
        return response
    response = RedirectResponse("/supervisor" if user.role == "supervisor" else "/review", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(session_lifetime(request).total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout_form(request: Request, session: SessionDep, csrf: Annotated[str, Form(max_length=100)]) -> Response:
    staff = _signed_in(request, session)
    if staff is not None and hmac.compare_digest(csrf, csrf_token(staff.token)):
        users.close_session(session, staff.token)
        session.commit()
    response = _to_login()
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home(request: Request, session: SessionDep) -> Response:
    staff = _signed_in(request, session)
    if staff is None:
        return _to_login()
    return RedirectResponse("/supervisor" if staff.is_supervisor else "/review", status_code=303)


@router.get("/review")
def queue_page(request: Request, session: SessionDep) -> Response:
    """The queue: overdue first; no names, ID numbers or diagnoses, only cases, items and reasons."""
    staff = _signed_in(request, session)
    if staff is None:
        return _to_login()
    now = dt.datetime.now(dt.UTC)
    entries = [queue_item(e, now) for e in review.queue(session)]
    return _page(request, "queue.html", staff, entries=entries)


@router.get("/review/cases/{case_id}")
def case_page(case_id: str, request: Request, session: SessionDep) -> Response:
    """The case page shell; its script loads /api/review/cases/{id} and draws pages, boxes, fields."""
    staff = _signed_in(request, session)
    if staff is None:
        return _to_login()
    return _page(request, "case.html", staff, case_id=case_id)


@router.get("/supervisor")
def supervisor_page(request: Request, session: SessionDep) -> Response:
    staff = _signed_in(request, session)
    if staff is None:
        return _to_login()
    if not staff.is_supervisor:
        return _page(request, "forbidden.html", staff, 403)
    return _page(request, "supervisor.html", staff, stats=supervisor_stats(session, 14, prefect_ui_url()))
