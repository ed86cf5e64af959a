"""Understand a question, find the facts and passages, compose the cited answer."""
