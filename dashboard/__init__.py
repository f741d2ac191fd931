"""Pages that gather from every app (the member's dashboard). Not an app: it has no models and only imports downward."""
