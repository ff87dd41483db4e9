# umview in a container: docker build -t umview . && docker run -it --rm umview
# (ptrace of its own children needs no extra capability on kernels >= 4.8.)
FROM debian:bookworm
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        default-jdk-headless maven gcc libc6-dev make git python3 procps util-linux \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/umview
COPY . .
RUN mvn -B -q -DskipTests package
RUN useradd -m user
USER user
ENTRYPOINT ["/opt/umview/bin/umview"]
CMD ["/bin/bash"]
