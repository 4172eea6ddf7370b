# The agent as a container image (issue #16 §1). Multi-stage: compile the TypeScript on a
# Node 20 base, install the production dependencies apart, and run on the same slim base.
#
#   With a registry:   docker build -t minikubelet.local/minikubelet .
#                      (node:20-slim, registry.k8s.io/pause:3.10 and busybox:1.36 are pulled)
#   Without one:       minikubelet setup --agent-image
#                      (builds minikubelet.local/node-base:20 FROM scratch from the host's node,
#                      then this file with NODE_BASE, PAUSE_IMAGE and BUSYBOX_IMAGE pointing at
#                      the local images; src/setup/agent-image.ts)
#
# Run it (every flag is explained in the README, "The agent as a container"):
#   docker run -d --name minikubelet --network host --cap-add SYS_ADMIN \
#     -v /var/run/docker.sock:/var/run/docker.sock \
#     -v /var/lib/minikubelet:/var/lib/minikubelet:rshared \
#     -v "$PWD/manifests":/etc/minikubelet/manifests:ro \
#     minikubelet.local/minikubelet
ARG NODE_BASE=node:20-slim
ARG PAUSE_IMAGE=registry.k8s.io/pause:3.10
ARG BUSYBOX_IMAGE=busybox:1.36

# Stages that only lend a file: the sandbox's pause binary (so the agent can build its pause
# image at start without a compiler or a registry) and a static busybox (the shell, and the
# binary the agent's busybox image is built from).
FROM ${PAUSE_IMAGE} AS pause
FROM ${BUSYBOX_IMAGE} AS busybox

FROM ${NODE_BASE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run tsc before the sources are here.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY cmd cmd
COPY src src
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json

FROM ${NODE_BASE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

FROM ${NODE_BASE}
COPY --from=busybox /bin/busybox /bin/busybox
COPY --from=pause /pause /usr/local/lib/minikubelet/pause
WORKDIR /opt/minikubelet
COPY package.json ./
COPY images images
COPY --from=deps /src/node_modules node_modules
COPY --from=build /src/dist dist
# A wrapper rather than the script's `#!/usr/bin/env node`, which a FROM-scratch base may
# lack; `exec` keeps node as PID 1, so `docker stop`'s SIGTERM reaches the agent's handler.
RUN printf '#!/bin/sh\nexec node /opt/minikubelet/dist/cmd/minikubelet.js "$@"\n' >/usr/local/bin/minikubelet \
 && chmod 755 /usr/local/bin/minikubelet \
 && mkdir -p /etc/minikubelet/manifests /var/lib/minikubelet
# MINIKUBELET_IN_CONTAINER: serve checks at start that the engine sees the root dir at the
# same path (the engine bind-mounts files from it into pods). MINIKUBELET_PAUSE_BINARY: the
# pause image is built from this binary when the engine lacks it (no gcc in here).
ENV MINIKUBELET_IN_CONTAINER=1 \
    MINIKUBELET_PAUSE_BINARY=/usr/local/lib/minikubelet/pause
STOPSIGNAL SIGTERM
# /healthz at the URL the agent wrote into its kubeconfig (any --root-dir/--listen; see the script).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/opt/minikubelet/images/agent/healthcheck.cjs"]
ENTRYPOINT ["minikubelet"]
CMD ["serve", "--root-dir", "/var/lib/minikubelet", "--manifests", "/etc/minikubelet/manifests", "--listen", "127.0.0.1:10350"]
