"""The Client Success Intelligence dashboard (Streamlit), reading only the published copy of the marts."""
