"""The users/items service through the Python client openapi-python-client
generates from its /openapi.json, unchanged: every operation, and every
documented error parsed as its documented type.

    python scenario.py http://127.0.0.1:8000

`raise_on_unexpected_status=True`: an answer the document does not list
raises, so each call below also checks that the document is complete. The
service's own errors (409, 404) are its `ErrorDetail` model, the ones
fastrs answers itself (401 here) FastAPI's `HTTPError`.
"""

import sys
import uuid

# ANCHOR: python
from users_items_client import AuthenticatedClient, Client
from users_items_client.api.items import (
    create_item,
    delete_item,
    list_items,
    read_item,
    update_item,
)
from users_items_client.api.users import login, read_users_me, register
from users_items_client.models import (
    BodyLogin,
    ErrorDetail,
    HTTPError,
    ItemCreate,
    ItemOut,
    ItemUpdate,
    Token,
    UserCreate,
    UserOut,
    ValidationProblem,
)


def run(base_url: str) -> None:
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    email = f"py-{uuid.uuid4().hex[:12]}@example.com"

    created = register.sync_detailed(
        client=anonymous, body=UserCreate(email=email, password="correct horse")
    )
    assert created.status_code == 201, created
    assert isinstance(created.parsed, UserOut) and created.parsed.email == email

    again = register.sync_detailed(
        client=anonymous, body=UserCreate(email=email, password="correct horse")
    )
    assert again.status_code == 409 and isinstance(again.parsed, ErrorDetail), again

    invalid = register.sync_detailed(
        client=anonymous, body=UserCreate(email="not an email", password="x")
    )
    assert invalid.status_code == 422 and isinstance(invalid.parsed, ValidationProblem)
    assert invalid.parsed.detail, invalid.parsed

    token = login.sync(
        client=anonymous, body=BodyLogin(username=email, password="correct horse")
    )
    assert isinstance(token, Token) and token.token_type == "bearer", token

    unauthenticated = read_users_me.sync_detailed(client=anonymous)
    assert unauthenticated.status_code == 401, unauthenticated
    assert isinstance(unauthenticated.parsed, HTTPError)
    assert unauthenticated.parsed.detail == "Not authenticated"

    client = AuthenticatedClient(
        base_url=base_url, token=token.access_token, raise_on_unexpected_status=True
    )
    me = read_users_me.sync(client=client)
    assert isinstance(me, UserOut) and me.email == email, me

    item = create_item.sync(client=client, body=ItemCreate(title="Milk"))
    assert isinstance(item, ItemOut) and item.title == "Milk", item
    listed = list_items.sync(client=client, q="milk")
    assert [i.id for i in listed] == [item.id], listed
    changed = update_item.sync(
        item_id=item.id, client=client, body=ItemUpdate(title="Oat milk")
    )
    assert isinstance(changed, ItemOut) and changed.title == "Oat milk", changed
    assert read_item.sync(item_id=item.id, client=client).title == "Oat milk"

    deleted = delete_item.sync_detailed(item_id=item.id, client=client)
    assert deleted.status_code == 204, deleted
    missing = read_item.sync_detailed(item_id=item.id, client=client)
    assert missing.status_code == 404 and isinstance(missing.parsed, ErrorDetail)
    # ANCHOR_END: python
    print("python client: every call and every documented error parsed")


if __name__ == "__main__":
    run(sys.argv[1])
