"""The wizard's models."""
