"""Floorwalker: a self-hosted operations suite for customer-service outsourcing companies."""

__version__ = "0.1.0"
