"""One error type for the service: a stable code, the HTTP status it maps to, a Chinese message.

Every error leaves as `{code, message}`; no traceback and no document text ever reaches a caller.
File codes reuse the reader's (intake.reasons.Code); the service's own codes are transport errors
(authentication, unknown ids, state conflicts), not reasons about documents, so they live here.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from intake.catalog import UnknownItem
from intake.reasons import MESSAGES, Code
from storage.store import StorageUnavailable

log = logging.getLogger("intake.http")


class ApiCode(StrEnum):
    unauthorized = "unauthorized"
    forbidden = "forbidden"
    case_not_found = "case_not_found"
    file_not_found = "file_not_found"
    not_found = "not_found"
    unknown_item = "unknown_item"
    case_not_open = "case_not_open"
    case_processing = "case_processing"
    no_files = "no_files"
    invalid_request = "invalid_request"
    bad_upload = "bad_upload"
    method_not_allowed = "method_not_allowed"
    storage_unavailable = "storage_unavailable"
    internal_error = "internal_error"
    # staff: sign-in, roles and the review workbench (issue 31)
    login_failed = "login_failed"
    role_forbidden = "role_forbidden"
    csrf_failed = "csrf_failed"
    stale_version = "stale_version"
    lease_lost = "lease_lost"
    review_unresolved = "review_unresolved"
    no_review_task = "no_review_task"
    document_not_found = "document_not_found"


API_MESSAGES: dict[ApiCode, str] = {
    ApiCode.unauthorized: "未登录或凭证无效，请提供有效的访问凭证",
    ApiCode.forbidden: "该凭证无权访问此案件",
    ApiCode.case_not_found: "案件不存在",
    ApiCode.file_not_found: "该案件中没有这个文件",
    ApiCode.not_found: "请求的地址不存在",
    ApiCode.unknown_item: "找不到该办理事项，请核对事项名称或地区",
    ApiCode.case_not_open: "案件已提交，不能再上传或撤回材料",
    ApiCode.case_processing: "案件正在处理中，请稍后查询结果",
    ApiCode.no_files: "案件还没有任何材料，请先上传",
    ApiCode.invalid_request: "请求内容不符合要求",
    ApiCode.bad_upload: "上传内容无法解析，请以 multipart/form-data 格式、字段名 file 上传文件",
    ApiCode.method_not_allowed: "不支持该请求方法",
    ApiCode.storage_unavailable: "存储服务暂时不可用，请稍后再试",
    ApiCode.internal_error: "服务内部错误，请稍后再试或联系工作人员",
    ApiCode.login_failed: "用户名或密码错误",
    ApiCode.role_forbidden: "当前账号无权使用此功能（需要主管权限）",
    ApiCode.csrf_failed: "页面已过期或请求来源不可信，请刷新页面后重试",
    ApiCode.stale_version: "案件已被他人修改，请刷新后再操作",
    ApiCode.lease_lost: "您未领取该审核任务，或领取已超时被他人领取",
    ApiCode.review_unresolved: "仍有待核对的问题，不能确认；请逐项核对更正，或退回",
    ApiCode.no_review_task: "该案件没有待审核的任务",
    ApiCode.document_not_found: "案件中没有这份材料、页面或字段",
}

STATUS: dict[str, int] = {
    ApiCode.unauthorized: 401,
    ApiCode.forbidden: 403,
    ApiCode.case_not_found: 404,
    ApiCode.file_not_found: 404,
    ApiCode.not_found: 404,
    ApiCode.unknown_item: 422,
    ApiCode.case_not_open: 409,
    ApiCode.case_processing: 409,
    ApiCode.no_files: 409,
    ApiCode.invalid_request: 422,
    ApiCode.bad_upload: 400,
    ApiCode.method_not_allowed: 405,
    ApiCode.storage_unavailable: 503,
    ApiCode.internal_error: 500,
    ApiCode.login_failed: 401,
    ApiCode.role_forbidden: 403,
    ApiCode.csrf_failed: 403,
    ApiCode.stale_version: 409,
    ApiCode.lease_lost: 409,
    ApiCode.review_unresolved: 409,
    ApiCode.no_review_task: 404,
    ApiCode.document_not_found: 404,
    Code.file_too_large: 413,
    Code.file_unsupported: 415,
    Code.file_empty: 400,
}


class ApiError(Exception):
    """Raised by routes; turned into `{code, message}` with the code's status. `detail` is appended to
    the message and must never hold document text or personal data."""

    def __init__(self, code: ApiCode | Code, detail: str = "") -> None:
        base = API_MESSAGES[code] if isinstance(code, ApiCode) else MESSAGES[code]
        self.code = code.value
        self.message = f"{base}：{detail}" if detail else base
        self.status = STATUS[code]
        super().__init__(self.code)


def error_response(status: int, code: str, message: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


def _validation_detail(exc: RequestValidationError) -> str:
    """Where the request was wrong (field path), never the submitted values."""
    places = []
    for error in exc.errors():
        place = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        places.append(place or "请求体")
    return "、".join(dict.fromkeys(places))


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        message = f"{API_MESSAGES[ApiCode.invalid_request]}：{_validation_detail(exc)}"
        return error_response(422, ApiCode.invalid_request.value, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: ApiCode.not_found, 405: ApiCode.method_not_allowed, 401: ApiCode.unauthorized}.get(
            exc.status_code, ApiCode.invalid_request
        )
        return error_response(exc.status_code, code.value, API_MESSAGES[code])

    @app.exception_handler(UnknownItem)
    async def _unknown_item(request: Request, exc: UnknownItem) -> JSONResponse:
        return error_response(422, ApiCode.unknown_item.value, API_MESSAGES[ApiCode.unknown_item])

    @app.exception_handler(StorageUnavailable)
    async def _storage(request: Request, exc: StorageUnavailable) -> JSONResponse:
        log.warning("storage unavailable: %s", exc)  # names the endpoint, never a secret
        code = ApiCode.storage_unavailable
        return error_response(503, code.value, API_MESSAGES[code])

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The type only: an exception's text may quote document content.
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
        code = ApiCode.internal_error
        return error_response(500, code.value, API_MESSAGES[code])
