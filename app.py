"""Rasd (رصد): the Streamlit entry point. Run with `streamlit run app.py`; the pages are in pages/.

Streamlit runs this file as the app's script (`__name__ == "__main__"`). `streamlit run` also finds the
`app = st.App(...)` below and serves the script through it, importing this file as a module: that puts
rasd.ui.routes in front of Streamlit, so an unknown path or malformed percent-encoding opens the map with a
notice instead of a page that never renders.
"""

import streamlit as st

if __name__ == "__main__":
    from rasd.ui.shell import navigation

    navigation().run()
else:
    from rasd.ui.routes import middleware

    app = st.App(__file__, middleware=middleware())
