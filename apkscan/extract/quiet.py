"""Silence androguard's loguru chatter: a borrower's terminal should show our one-line messages only."""

from loguru import logger

logger.disable("androguard")
