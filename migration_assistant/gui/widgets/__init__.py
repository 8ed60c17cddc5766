"""Small reusable widgets of the wizard (no engine calls in here: they render what they are given)."""
