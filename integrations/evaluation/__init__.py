"""`advocate eval`: labelled question sets, run against the assistant and a plain-RAG baseline, scored.

questions.py reads and checks the YAML sets; workspaces.py ingests each set's workspace into a cached
scratch data dir; runner.py asks the questions; baseline.py is the LangChain + Chroma comparison;
scoring.py judges one answer; report.py aggregates, renders and gates.
"""
