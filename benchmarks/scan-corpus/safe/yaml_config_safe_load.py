import yaml


def load_config(path="config.yml"):
    with open(path) as fh:
        config = yaml.safe_load(fh) or {}
    config.setdefault("workers", 4)
    return config


if __name__ == "__main__":
    print(load_config())
