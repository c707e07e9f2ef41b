"""GraphQL object types and enums; each module is one concept of the schema."""
