# umview in a container, installed from its Debian package as a system tool would be:
#   docker build -t umview . && docker run -it --rm umview
# (ptrace of its own children needs no extra capability on kernels >= 4.8.)
FROM debian:bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        default-jdk-headless maven gcc libc6-dev make dpkg-dev asciidoctor help2man groff-base \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN packaging/build-deb /out

FROM debian:bookworm
COPY --from=build /out/*.deb /tmp/
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y /tmp/umview_*.deb man-db bash-completion \
    && rm -rf /var/lib/apt/lists/* /tmp/*.deb \
    && useradd -m user
USER user
WORKDIR /home/user
ENTRYPOINT ["/usr/bin/umview"]
CMD ["/bin/bash"]
