"""HTTP layer: Sanic application, routes, request validation and response shaping."""
