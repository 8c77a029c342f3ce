"""Signing in and out, invitation links and one's own password.

The sign-in and invitation forms are sent before there is a session, so they cannot carry a
session's CSRF token. They carry a token of their own instead: showing the form sets a random
``thematica_login`` cookie (HttpOnly, SameSite=Strict) and puts the same value in a hidden field;
a post whose field does not match the cookie is refused. Together with the Origin check and
SameSite, another site cannot sign a browser in to an account of its choosing (login CSRF).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.errors import AccessDenied, ThematicaError
from thematica.service.signin import SignInRefused, TooManyAttempts
from thematica.web.shell import LOGIN_COOKIE, SESSION_COOKIE, Workbench

MAX_PASSWORD_FIELD = 1024


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this workbench only (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _check_form_token(request: Request, given: str) -> None:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), given.encode()):
        raise AccessDenied(
            "refused: the sign-in form is out of date or was not sent from this workbench; "
            "reload it and try again"
        )


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def login_page(
        request: Request, *, next_path: str, name: str = "", error: str = "", status: int = 200
    ) -> HTMLResponse:
        token = secrets.token_urlsafe(32)
        response = wb.page(
            request,
            "login.html",
            {"next": next_path, "name": name, "error": error, "form_token": token},
            None,
        )
        response.status_code = status
        _form_token_cookie(request, response, token)
        return response

    @r.get("/login", response_class=HTMLResponse)
    def login(request: Request, next: str = "/") -> Response:
        if not wb.signin_required(request):
            return RedirectResponse("/identity", status_code=303)
        return login_page(request, next_path=safe_next(next))

    @r.post("/login", response_class=HTMLResponse)
    def login_post(
        request: Request,
        name: Annotated[str, Form(max_length=200)],
        password: Annotated[str, Form(max_length=MAX_PASSWORD_FIELD)],
        form_token: Annotated[str, Form(max_length=100)] = "",
        next: Annotated[str, Form(max_length=2000)] = "/",
    ) -> Response:
        _check_form_token(request, form_token)
        target = safe_next(next)
        try:
            signed = wb.service.sign_in(name, password, client=wb.client(request))
        except SignInRefused as refused:
            status = 429 if isinstance(refused, TooManyAttempts) else 401
            return login_page(
                request, next_path=target, name=name, error=str(refused), status=status
            )
        response = RedirectResponse(target, status_code=303)
        wb.start_session(request, response, signed.token)
        return response

    @r.post("/logout")
    def logout(request: Request) -> Response:
        token = wb.session_token(request)
        if token:
            wb.service.sign_out(token, client=wb.client(request))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @r.get("/invite/{token}", response_class=HTMLResponse)
    def invitation(request: Request, token: str) -> HTMLResponse:
        name = wb.service.invitation_for(token[:200])
        return invite_page(request, token, name)

    def invite_page(request: Request, token: str, name: str, error: str = "") -> HTMLResponse:
        form_token = secrets.token_urlsafe(32)
        response = wb.page(
            request,
            "invite.html",
            {"token": token, "name": name, "error": error, "form_token": form_token},
            None,
        )
        if error:
            response.status_code = 422
        _form_token_cookie(request, response, form_token)
        return response

    @r.post("/invite/{token}")
    def redeem(
        request: Request,
        token: str,
        password: Annotated[str, Form(max_length=MAX_PASSWORD_FIELD)],
        again: Annotated[str, Form(max_length=MAX_PASSWORD_FIELD)],
        form_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        _check_form_token(request, form_token)
        name = wb.service.invitation_for(token[:200])
        if password != again:
            return invite_page(request, token, name, "the two passwords are not the same")
        try:
            signed = wb.service.redeem_invitation(token[:200], password, client=wb.client(request))
        except ThematicaError as exc:
            if isinstance(exc, AccessDenied):
                raise
            return invite_page(request, token, name, str(exc))
        response = RedirectResponse("/", status_code=303)
        wb.start_session(request, response, signed.token)
        return response

    @r.get("/account", response_class=HTMLResponse)
    def account(request: Request) -> HTMLResponse:
        me = wb.member(request)
        return account_page(request, me.name)

    def account_page(
        request: Request, name: str, *, error: str = "", done: str = ""
    ) -> HTMLResponse:
        me = wb.member(request)
        has = next((m.has_password for m in wb.service.team() if m.name == name), False)
        response = wb.page(
            request,
            "account.html",
            {"has_password": has, "error": error, "done": done, "name": name},
            me,
        )
        if error:
            response.status_code = 422
        return response

    @r.post("/account")
    def change_password(
        request: Request,
        new: Annotated[str, Form(max_length=MAX_PASSWORD_FIELD)],
        again: Annotated[str, Form(max_length=MAX_PASSWORD_FIELD)],
        current: Annotated[str, Form(max_length=MAX_PASSWORD_FIELD)] = "",
    ) -> Response:
        me = wb.member(request)
        if new != again:
            return account_page(request, me.name, error="the two new passwords are not the same")
        signed_in = wb.signin_required(request)
        try:
            wb.service.change_password(
                me.name,
                current,
                new,
                client=wb.client(request),
                keep=wb.session_token(request) if signed_in else None,
            )
        except ThematicaError as exc:
            return account_page(request, me.name, error=str(exc))
        if not signed_in:  # the first password: from now on, everyone signs in
            return RedirectResponse("/login", status_code=303)
        return account_page(
            request, me.name, done="Password changed. Your other sessions have ended."
        )

    return r


def _form_token_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
