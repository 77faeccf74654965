FROM python:3.11-slim
WORKDIR /srv/ila-register
COPY pyproject.toml README.md ./
COPY src ./src
COPY vocab ./vocab
COPY elm_mappings ./elm_mappings
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["ila-register", "serve", "--host", "0.0.0.0", "--port", "8000"]
