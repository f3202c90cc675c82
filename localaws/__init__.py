"""The embedded local AWS: moto's server plus the few patches that make it run this project.

`make run` and the integration tests talk to AWS over the real wire protocol, served by moto on
127.0.0.1. Application code reaches it only through `AWS_ENDPOINT_URL`; everything that bends
moto towards real AWS behaviour lives in this package (see `localaws.patches`), so the apps never
carry emulator branches. Importing this package is cheap: moto is imported only by the server
process.
"""
