"""References to another object inside a shape: a campaign or channel by name, a person."""

from pydantic import BaseModel


class Ref(BaseModel):
    id: int
    name: str


class Person(BaseModel):
    id: int
    display_name: str
