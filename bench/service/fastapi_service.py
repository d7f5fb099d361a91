"""The users/items service's API in plain FastAPI, with the choices FastAPI's
tutorial teaches: SQLAlchemy 2.0 sessions from a `yield` dependency in `def`
endpoints (run in the threadpool), Pydantic models, OAuth2's password flow
with PyJWT tokens and pwdlib's Argon2 hashes. The comparison point of
bench/service.sh: the same routes, statuses and bodies as users-items.

    DATABASE_URL=sqlite:///data/app.db uvicorn fastapi_service:app
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/bench uvicorn ...
"""
import os
from datetime import datetime, timedelta, timezone
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, HTTPException, Query, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pwdlib import PasswordHash
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from sqlalchemy import ForeignKey, String, create_engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

SECRET = os.environ.get("JWT_SECRET", "bench-secret-bench-secret-bench-secret")
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///data/app.db")

# More connections than wrk's 64 clients: with SQLAlchemy's default pool
# (5 + 10), or one the size of the threadpool (AnyIO's 40), `def` endpoints
# under 64 concurrent clients wait for connections held by sessions whose
# cleanup waits for a thread, until the pool's 30 s timeout.
POOL = {"pool_size": 80, "max_overflow": 0}
if DATABASE_URL.startswith("sqlite"):
    # Writers wait for SQLite's lock up to 30 s (Python's default, 5 s, fails
    # requests under 64 concurrent writers).
    engine = create_engine(
        DATABASE_URL, connect_args={"check_same_thread": False, "timeout": 30}, **POOL
    )
else:
    engine = create_engine(DATABASE_URL, **POOL)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str]
    created_at: Mapped[datetime]


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime]


Base.metadata.create_all(engine)
password_hash = PasswordHash.recommended()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
app = FastAPI(title="users-items")


def get_session():
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


class UserCreate(BaseModel):
    email: EmailStr
    password: str = Field(min_length=8, max_length=128)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    email: str
    created_at: datetime


class Token(BaseModel):
    access_token: str
    token_type: str


class ItemCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class ItemUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str
    description: str | None
    owner_id: int
    created_at: datetime


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def get_current_user(token: Annotated[str, Depends(oauth2_scheme)], session: SessionDep) -> User:
    invalid = HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},
    )
    try:
        payload = jwt.decode(token, SECRET, algorithms=["HS256"])
        user_id = int(payload["sub"])
    except (jwt.InvalidTokenError, KeyError, ValueError):
        raise invalid
    user = session.get(User, user_id)
    if user is None:
        raise invalid
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


@app.post("/users", status_code=201, response_model=UserOut, tags=["users"])
def register(user: UserCreate, session: SessionDep):
    row = User(
        email=user.email.lower(),
        password_hash=password_hash.hash(user.password),
        created_at=now(),
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        raise HTTPException(status_code=409, detail="Email already registered")
    session.refresh(row)
    return row


@app.post("/token", response_model=Token, tags=["users"])
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep):
    user = session.scalar(select(User).where(User.email == form.username.lower()))
    if user is None or not password_hash.verify(form.password, user.password_hash):
        raise HTTPException(status_code=400, detail="Incorrect email or password")
    expire = datetime.now(timezone.utc) + timedelta(minutes=30)
    token = jwt.encode({"sub": str(user.id), "exp": expire}, SECRET, algorithm="HS256")
    return Token(access_token=token, token_type="bearer")


@app.get("/users/me", response_model=UserOut, tags=["users"])
def read_users_me(user: CurrentUser):
    return user


@app.post("/items", status_code=201, response_model=ItemOut, tags=["items"])
def create_item(item: ItemCreate, user: CurrentUser, session: SessionDep):
    row = Item(owner_id=user.id, title=item.title, description=item.description, created_at=now())
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


@app.get("/items", response_model=list[ItemOut], tags=["items"])
def list_items(
    user: CurrentUser,
    session: SessionDep,
    skip: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    q: Annotated[str | None, Query(max_length=200)] = None,
):
    query = select(Item).where(Item.owner_id == user.id)
    if q is not None:
        query = query.where(func.lower(Item.title).contains(q.lower(), autoescape=True))
    return session.scalars(query.order_by(Item.id).offset(skip).limit(limit)).all()


def owned(session: Session, user: User, item_id: int) -> Item:
    item = session.get(Item, item_id)
    if item is None or item.owner_id != user.id:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


@app.get("/items/{item_id}", response_model=ItemOut, tags=["items"])
def read_item(item_id: int, user: CurrentUser, session: SessionDep):
    return owned(session, user, item_id)


@app.patch("/items/{item_id}", response_model=ItemOut, tags=["items"])
def update_item(item_id: int, update: ItemUpdate, user: CurrentUser, session: SessionDep):
    item = owned(session, user, item_id)
    for field, value in update.model_dump(exclude_unset=True).items():
        setattr(item, field, value)
    session.commit()
    session.refresh(item)
    return item


@app.delete("/items/{item_id}", status_code=204, tags=["items"])
def delete_item(item_id: int, user: CurrentUser, session: SessionDep):
    session.delete(owned(session, user, item_id))
    session.commit()
