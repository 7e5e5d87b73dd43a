"""Rasd (رصد): the Streamlit entry point. Run with `streamlit run app.py`; the pages are in pages/."""

from rasd.ui.shell import navigation

navigation().run()
