"""The GraphQL gateway: a Strawberry schema served by Starlette under Uvicorn."""
