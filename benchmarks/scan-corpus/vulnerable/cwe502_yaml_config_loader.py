import yaml


def load_config(path="config.yml"):
    with open(path) as fh:
        config = yaml.load(fh, Loader=yaml.Loader)
    config.setdefault("workers", 4)
    return config


if __name__ == "__main__":
    print(load_config())
