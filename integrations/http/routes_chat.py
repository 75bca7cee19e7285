"""Chat, feedback and the widget's own routes ("talk to my CSM", its config).

`/v1/chat` answers in JSON, or as server-sent events when the client accepts `text/event-stream`.
The answer runs in a worker thread under the answer gate (bounded concurrency, a time budget).
The conversation id is checked against the credential before the assistant sees it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import StreamingResponse

from accounts.errors import AccessDenied
from integrations.http.credentials import Credential
from integrations.http.deps import Caller, HttpState, State, request_ports
from integrations.http.schemas import (
    ChatRequest,
    ChatResponse,
    CsmRequest,
    CsmRequestResponse,
    FeedbackRequest,
    FeedbackResponse,
    WidgetConfig,
)
from integrations.http.sse import SSE_HEADERS, stream_answer, wants_stream

router = APIRouter(prefix="/v1", tags=["chat"])
SUGGESTED_QUESTIONS = (
    "Where are we on our success plan?",
    "Which of our tickets are still open?",
    "What have you promised us, and when is it due?",
    "How do I fix a sync conflict?",
)
STREAM_DOC = {"content": {"text/event-stream": {"schema": {"type": "string"},
                                                "example": 'event: delta\ndata: {"text": "…"}\n\n'}}}


def answer_for(state: HttpState, caller: Credential, body: ChatRequest) -> ChatResponse:
    """Blocking: check the conversation's owner, answer, bind a new conversation to this credential."""
    from assistant.answer import answer

    if body.conversation_id is not None:
        state.owners.check(body.conversation_id, caller.credential_id)
    ports = request_ports(state.services)
    result = answer(body.message, caller.principal, ports=ports, as_of=body.as_of or state.settings.today(),
                    conversation_id=body.conversation_id, llm=state.llm(ports))
    conversation_id = result.conversation_id or ""
    state.owners.claim(conversation_id, caller.credential_id)
    return ChatResponse(**result.model_dump(exclude={"citations", "conversation_id"}),
                        citations=state.doc_links.cite(result), conversation_id=conversation_id)


@router.post("/chat", summary="Ask the assistant (JSON, or server-sent events)", response_model=ChatResponse,
             responses={200: STREAM_DOC})
async def chat(body: ChatRequest, state: State, caller: Caller,
               accept: Annotated[str | None, Header()] = None) -> ChatResponse | StreamingResponse:
    result = await state.gate.run(answer_for, state, caller, body)
    if wants_stream(accept):
        return StreamingResponse(stream_answer(result.model_dump(mode="json")), media_type="text/event-stream",
                                 headers=SSE_HEADERS)
    return result


@router.post("/feedback", summary="Rate an answer of one of your conversations", status_code=201)
def feedback(body: FeedbackRequest, state: State, caller: Caller) -> FeedbackResponse:
    feedback_id = state.owners.add_feedback(body.conversation_id, caller.credential_id, body.rating, body.comment)
    return FeedbackResponse(id=feedback_id, conversation_id=body.conversation_id, rating=body.rating)


def _customer(caller: Credential) -> str:
    if not caller.is_customer or caller.account_id is None:
        raise AccessDenied("this route is for a customer's widget token")
    return caller.account_id


@router.post("/csm-requests", summary="Talk to my CSM: record a request in the account's history",
             status_code=201, tags=["widget"])
def talk_to_csm(body: CsmRequest, state: State, caller: Caller) -> CsmRequestResponse:
    from accounts.live_records import add_live_activity, customer_request

    account_id = _customer(caller)
    request_ports(state.services).book([account_id])  # the account must (still) exist
    activity = customer_request(account_id, body.message, author=caller.user or "widget", today=state.settings.today())
    add_live_activity(state.services.store, activity)
    return CsmRequestResponse(id=activity.id, account_id=account_id, message=activity.body)


@router.get("/widget/config", summary="What the widget shows: account name, suggested questions", tags=["widget"])
def widget_config(state: State, caller: Caller) -> WidgetConfig:
    account_id = _customer(caller)
    directory = request_ports(state.services).store.account_directory()
    return WidgetConfig(account_id=account_id, account_name=directory.get(account_id, account_id),
                        suggested_questions=list(SUGGESTED_QUESTIONS), link_hosts=state.settings.http_link_hosts)
