from .policy import PolicyIndexPage

__all__ = ["PolicyIndexPage"]
