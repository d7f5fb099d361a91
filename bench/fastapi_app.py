"""The benchmark routes in FastAPI (run with uvicorn, one worker)."""
from typing import Annotated

from fastapi import Depends, FastAPI, Header
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

app = FastAPI()


@app.get("/plaintext", response_class=PlainTextResponse)
async def plaintext():
    return "Hello, World!"


@app.get("/json")
async def hello_json():
    return {"message": "Hello, World!"}


@app.get("/items/{id}")
async def read_item(id: int, q: str | None = None):
    return {"id": id, "q": q}


class Item(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    description: str | None = Field(default=None, max_length=300)
    price: float = Field(gt=0)
    tax: float = Field(ge=0, le=100)
    quantity: int = Field(ge=0)
    sku: str = Field(min_length=1, max_length=20)
    in_stock: bool
    tags: list[str] = Field(max_length=10)
    rating: float = Field(ge=0, le=5)
    country: str = Field(min_length=2, max_length=2)


@app.post("/items")
async def create_item(item: Item):
    return item


async def token(x_token: Annotated[str, Header()]):
    return x_token


async def user(token: Annotated[str, Depends(token)]):
    return f"user-{len(token)}"


async def greeting(token: Annotated[str, Depends(token)], user: Annotated[str, Depends(user)]):
    return f"hello {user} ({token})"


@app.get("/deps")
async def deps(greeting: Annotated[str, Depends(greeting)]):
    return {"greeting": greeting}
