"""An S3 endpoint of the tests' own: moto's server mode on a spare port of 127.0.0.1 (never a real provider), with
the portal's two buckets set up as an installer sets them up (README, docker-compose.yml's minio-init): the public
one readable by anyone (GetObject only), the private one by nobody without credentials."""

import json
import uuid
from functools import cached_property

import boto3

ACCESS_KEY, SECRET_KEY, REGION = "portal-test", "portal-test-secret", "us-east-1"


class S3Server:
    def __init__(self):
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.endpoint = ""

    def start(self) -> "S3Server":
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        return self

    def stop(self):
        self.server.stop()

    @cached_property
    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, region_name=REGION)

    def make_buckets(self) -> tuple[str, str]:
        """A fresh public and private bucket (names unique to the caller)."""
        suffix = uuid.uuid4().hex[:12]
        public, private = f"portal-public-{suffix}", f"portal-private-{suffix}"
        client = self.client
        client.create_bucket(Bucket=public)
        client.create_bucket(Bucket=private)
        client.put_bucket_policy(Bucket=public, Policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"],
                           "Resource": [f"arn:aws:s3:::{public}/*"]}]}))
        return public, private

    def keys(self, bucket: str) -> list[str]:
        return [item["Key"] for item in self.client.list_objects_v2(Bucket=bucket).get("Contents", [])]

    def environment(self, public: str, private: str) -> dict:
        """The variables an installer sets (README: from one machine to many)."""
        return {"AWS_STORAGE_BUCKET_NAME": public, "AWS_PRIVATE_BUCKET_NAME": private,
                "AWS_S3_ENDPOINT_URL": self.endpoint, "AWS_S3_REGION_NAME": REGION,
                "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                "MEDIA_URL": f"{self.endpoint}/{public}/"}
