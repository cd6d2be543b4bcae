"""The reporting plugin's name and its per-project settings (each part adds its own)."""

from __future__ import annotations

NAME = "reporting"
